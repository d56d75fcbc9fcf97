"""The use cases of the AI context: generate study aids (`generate`), start a run (`start`), tell the
pipeline the outcome (`outcome`), and where a run stands for the read routes (`read`)."""
