"""The GitHub App: turns PR comments into Argo submissions and results into PR comments."""
