"""Local stand-ins for the services perfbot talks to (Argo Server, GitHub), over real HTTP."""
