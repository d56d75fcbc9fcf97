"""One Canvas sync: the run, per course its parts and files, and the scheduler that queues runs."""
