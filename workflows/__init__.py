"""perfbot's pipelines, results and statistics: everything usable from the CLI without Flask."""
