"""The lifecycle of a service change: what moves a proposal from stage to stage.

It sits on top of the service-change package and asks each stage directly, through typed
functions, for what the lifecycle's rules (``proposals.domain``) need: ``facts`` puts the
proposal's own facts together with assessment's, the consultation's and the outcome's;
``services`` makes the moves (and the moves that follow an act: the consultation opening,
the decision); ``selectors`` and ``views`` show the proposal's whole journey.
"""
