"""A lock-free `cached_property` for the page objects' fields.

Python 3.11's functools.cached_property takes a lock (one per property, shared by all instances) on every first
read; a page object reads some thirty such fields once each, so the lock is a measurable share of a page's time.
A page object belongs to one thread, so the lock protects nothing here. (Python 3.12 dropped it.)
"""

from __future__ import annotations

from typing import Any, Callable, Generic, TypeVar, overload

T = TypeVar("T")


class lazy_property(Generic[T]):  # noqa: N801 - named like the property it stands for
    """Computed on first read, then stored in the instance's __dict__ (which later reads find first)."""

    def __init__(self, func: Callable[[Any], T]):
        self.func = func
        self.name = func.__name__
        self.__doc__ = func.__doc__

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    @overload
    def __get__(self, instance: None, owner: type | None = None) -> lazy_property[T]: ...

    @overload
    def __get__(self, instance: object, owner: type | None = None) -> T: ...

    def __get__(self, instance: object | None, owner: type | None = None) -> T | lazy_property[T]:
        if instance is None:
            return self
        value = instance.__dict__[self.name] = self.func(instance)
        return value
