"""`perfbot run --local` and `perfbot demo`: a job's WorkflowTemplate, executed on one machine.

`runner` prepares and runs a job (`LocalRun` -> `Outcome`), `executor` interprets the
WorkflowTemplate with Argo's semantics, `demo` makes the demo's throwaway repository. See
docs/local.md.
"""
