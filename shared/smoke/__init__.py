"""`studyaid verify`: the post-deploy smoke check, the same walk against Azure and `make dev`."""
