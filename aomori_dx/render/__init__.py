"""Renderers: each reads the model or the result and produces one kind of output."""
