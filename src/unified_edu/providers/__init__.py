"""Backends: the provider interface (``base``) and one subpackage per platform.

Platform subpackages are imported lazily through :mod:`unified_edu.registry`.
"""
