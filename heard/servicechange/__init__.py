"""The record of a service change, as one package.

A proposal to change services (``proposals``), who follows it (``follow``), its options,
significance and assurance (``assessment``), its formal consultation (``consultations``),
the consideration, report to the board, decision and "you said, we did" (``outcomes``) and
the evidence pack (``evidence``), with the lifecycle that moves a proposal through its
stages (``lifecycle``) on top. The package sits above analysis and engagement and depends
on them one way; inside it, each stage depends only on the stages before it
(see ``docs/architecture.md`` and the import contracts in ``pyproject.toml``).
"""
