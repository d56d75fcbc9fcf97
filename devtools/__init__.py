"""Developer tooling: the local runner, the stub Canvas and their command line (`studyaid-dev`).

It runs from a checkout (the editable install) and never ships: `.funcignore` leaves it out of
the deployment package, and nothing under `shared/` imports it.
"""
