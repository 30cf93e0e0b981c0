"""Configuration: settings from the environment, Celery configuration, logging."""

from config.settings import Settings, get_settings

__all__ = ["Settings", "get_settings"]
