"""The SME Tech Protection Club platform: domain layer, app and commands."""
