"""Deterministic demo township (湖南省衡东县) with optional injected defects; Qt-free."""
from .generate import generate_township

__all__ = ["generate_township"]
