"""The evidence pack: everything about a proposal's decision in one verifiable ZIP."""
