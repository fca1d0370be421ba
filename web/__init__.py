"""The web application: the Starlette app, middleware, sessions over HTTP, periodic jobs and the CLI.

It composes the two doors (schema/ and frontend/) over the domain (server/); the domain never imports it.
"""
