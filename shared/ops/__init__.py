"""`studyaid ops ...`: the operators' runbook commands (see docs/operations.md)."""
