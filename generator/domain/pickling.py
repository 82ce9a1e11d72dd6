"""Objects of the domain that the check cache keeps: pickled compactly, unpacked when first read."""
from __future__ import annotations

from typing import Any, ClassVar

class PackedWhenPickled:
    """Pickles the fields named in _packed_fields as one bytes object, unpacked on first use.

    For the check cache: most of what a check reads back from it is never looked into again (a
    region that did not change), and rebuilding its many small objects would cost more than
    checking took. The fields must have no class-level default, so that reading one that is still
    packed reaches __getattr__.
    """

    _packed_fields: ClassVar[tuple[str, ...]] = ()

    def __reduce__(self):
        import pickle

        packed = pickle.dumps(tuple(getattr(self, name) for name in self._packed_fields),
                              protocol=pickle.HIGHEST_PROTOCOL)
        eager = {k: v for k, v in self.__dict__.items() if k not in self._packed_fields}
        return _unpack_later, (type(self), eager, packed)

    def packed_reduce(self, packed: bytes):
        """__reduce__ for an object still packed since it was read: packed, the bytes it was read from."""
        return _unpack_later, (type(self), {k: v for k, v in self.__dict__.items() if k != "_packed"}, packed)

    def __getattr__(self, name: str) -> Any:  # only asked for attributes that are not set
        if name in self._packed_fields and "_packed" in self.__dict__:
            import pickle

            packed = self.__dict__["_packed"]
            # the bytes, or a store's callable that gives the fields' values only when they are used
            values = packed() if callable(packed) else pickle.loads(packed)
            self.__dict__.update(zip(self._packed_fields, values))
            del self.__dict__["_packed"]
            return self.__dict__[name]
        raise AttributeError(name)


def _unpack_later(cls: type, eager: dict, packed: bytes) -> Any:
    obj = cls.__new__(cls)
    obj.__dict__.update(eager, _packed=packed)
    return obj


def unpacked_on_use(cls: type, eager: dict, make: Any) -> Any:
    """An object of cls with the eager fields set and its packed fields made by make() when first used:
    for a store that assembles them from parts of its own."""
    return _unpack_later(cls, eager, make)
