"""Hera builders of the per-job WorkflowTemplate: one module per template, `workflow` composes.

Importing this package does not import Hera; `workflows.pipeline.parameters` (what the bot needs
to submit) stays light. `build_workflow_template(config, job)` lives in `workflow`.
"""
