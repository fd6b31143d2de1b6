"""The lifecycle of a service change: what moves a proposal from stage to stage."""
