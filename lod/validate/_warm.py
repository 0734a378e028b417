"""Imported by the validation forkserver (``lod.validate.worker``): loads shapes, codelists and
schemas once, so that every validation process starts with them."""

from .worker import warm

warm()
