"""Small value classes, made cheaply when their module is imported.

`@dataclass(frozen=True, slots=True)` writes six methods per class as source
text, compiles each with `exec`, then builds the class a second time for its
slots: about 0.8 ms a class. The engine and the player define some thirty of
them, all imported before the first screen, so that was some 25 ms of every
start (docs/performance.md). `@record` makes the same kind of class: slots,
an `__init__` with defaults (and `__post_init__` when defined), a repr, value
equality and hashing, optional ordering, and no assignment after construction
unless `frozen=False`. Only `__init__` is compiled (one `exec`); the other
methods are shared functions working from the class's field names.

    @record
    class Loc:
        path: str
        line: int = 1
        col: int = 1

`fields(obj)` gives the field names; `replace(obj, **changes)` a changed copy.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any, TypeVar

T = TypeVar("T")
_MISSING: Any = object()


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen record."""


class Field:
    """A field with more to say than a plain default: `field(default_factory=list)`, `field(compare=False)`."""

    __slots__ = ("default", "default_factory", "repr", "compare")

    def __init__(self, default: Any, default_factory: Callable[[], Any] | None, repr: bool, compare: bool) -> None:
        self.default = default
        self.default_factory = default_factory
        self.repr = repr
        self.compare = compare


def field(
    *,
    default: Any = _MISSING,
    default_factory: Callable[[], Any] | None = None,
    repr: bool = True,
    compare: bool = True,
) -> Any:
    return Field(default, default_factory, repr, compare)


def fields(obj: object) -> tuple[str, ...]:
    """The field names of a record (class or instance), in order."""
    return type.__getattribute__(obj if isinstance(obj, type) else type(obj), "__record_fields__")  # type: ignore[no-any-return]


def replace(obj: T, **changes: Any) -> T:
    """A copy of the record `obj` with some fields changed."""
    values = {name: getattr(obj, name) for name in fields(obj)}
    values.update(changes)
    return type(obj)(**values)


def record(cls: type[T] | None = None, /, *, frozen: bool = True, order: bool = False, weakref: bool = False) -> Any:
    """Make `cls` a record class (see the module's docstring); `weakref=True` lets it be weakly referenced."""

    def make(cls: type[T]) -> type[T]:
        return _make(cls, frozen, order, weakref)

    return make if cls is None else make(cls)


def _make(cls: type[T], frozen: bool, order: bool, weakref: bool) -> type[T]:
    names = tuple(cls.__dict__.get("__annotations__", {}))
    specs: dict[str, Field] = {}
    namespace = {k: v for k, v in cls.__dict__.items() if k not in names and k not in ("__dict__", "__weakref__")}
    for name in names:
        given = cls.__dict__.get(name, _MISSING)
        specs[name] = given if isinstance(given, Field) else Field(given, None, True, True)
    namespace["__slots__"] = (*names, "__weakref__") if weakref else names
    namespace["__record_fields__"] = names
    made: type[T] = type(cls)(cls.__name__, cls.__bases__, namespace)  # type: ignore[assignment]
    made.__qualname__ = cls.__qualname__

    # __init__, the one compiled method: plain assignments run at C speed.
    scope: dict[str, Any] = {"_MISSING": _MISSING, "_set": object.__setattr__}
    params, body = [], []
    for name, spec in specs.items():
        if spec.default_factory is not None:
            scope[f"_f_{name}"] = spec.default_factory
            params.append(f"{name}=_MISSING")
            body.append(f"if {name} is _MISSING: {name} = _f_{name}()")
        elif spec.default is not _MISSING:
            scope[f"_d_{name}"] = spec.default
            params.append(f"{name}=_d_{name}")
        else:
            params.append(name)
        body.append(f"_set(self, {name!r}, {name})" if frozen else f"self.{name} = {name}")
    if hasattr(made, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(params)}):\n    " + "\n    ".join(body or ["pass"])
    exec(source, scope)  # noqa: S102 - our own field names, checked identifiers; never author text
    init = scope["__init__"]
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    made.__init__ = init  # type: ignore[misc]

    compared = tuple(n for n in names if specs[n].compare)
    shown = tuple(n for n in names if specs[n].repr)
    key = _getter(compared)
    made.__eq__ = _equality(key)  # type: ignore[method-assign,assignment]
    made.__hash__ = (lambda self: hash(key(self))) if frozen else None  # type: ignore[method-assign,assignment]
    made.__repr__ = _representation(shown)  # type: ignore[method-assign]
    if frozen:
        made.__setattr__ = _refuse_set  # type: ignore[method-assign,assignment]
        made.__delattr__ = _refuse_delete  # type: ignore[method-assign,assignment]
    if order:
        for method, compare in (
            ("__lt__", tuple.__lt__),
            ("__le__", tuple.__le__),
            ("__gt__", tuple.__gt__),
            ("__ge__", tuple.__ge__),
        ):
            setattr(made, method, _ordering(key, compare))
    return made


def _getter(names: tuple[str, ...]) -> Callable[[object], tuple]:
    if not names:
        return lambda obj: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda obj: (one(obj),)
    return attrgetter(*names)  # type: ignore[return-value]


def _equality(key: Callable[[object], tuple]) -> Callable[[object, object], bool]:
    def __eq__(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return key(self) == key(other)

    return __eq__


def _ordering(
    key: Callable[[object], tuple], compare: Callable[[tuple, tuple], bool]
) -> Callable[[object, object], bool]:
    def method(self: object, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return compare(key(self), key(other))

    return method


def _representation(names: tuple[str, ...]) -> Callable[[object], str]:
    def __repr__(self: object) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{type(self).__qualname__}({shown})"

    return __repr__


def _refuse_set(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _refuse_delete(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")
