"""People and how they prove who they are: signing in, sessions, passwords, password guesses."""
