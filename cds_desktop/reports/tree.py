"""The plan's tree as the report builders read it (groups in document order, their items),
and the progress callback type.  Plain data, no SQLAlchemy: the ORM loader
(:mod:`.loading`) and the light ``sqlite3`` reader (:mod:`.light`) both fill it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

Progress = Callable[[int, int, str], None]


def no_progress(done: int, total: int, text: str) -> None:
    return None


@dataclass
class GroupNode:
    group: Any  # a Group (or a light row with its fields); None for the section's root
    depth: int
    items: list = field(default_factory=list)
    children: list[GroupNode] = field(default_factory=list)

    def walk(self) -> Iterator[GroupNode]:
        yield self
        for child in self.children:
            yield from child.walk()

    def count(self) -> int:
        return len(self.items) + sum(c.count() for c in self.children)


@dataclass
class SectionTree:
    """One appendix of a plan: its group tree (document order) and items."""

    root: GroupNode  # group None: items outside any group come first
    items: list

    @property
    def top_groups(self) -> list[GroupNode]:
        return self.root.children

    @property
    def two_level(self) -> bool:
        """Running number and number within the group differ somewhere (Phù Đổng style)."""
        return any(i.local_number and i.number and i.local_number != i.number for i in self.items)


def build_tree(groups: list, items: list) -> SectionTree:
    """The tree of *groups* (document order, each with ``id`` and ``parent_id``) holding *items*
    (document order, each with ``group_id``)."""
    root = GroupNode(None, -1)
    nodes: dict[int, GroupNode] = {}
    for g in groups:
        nodes[g.id] = GroupNode(g, 0)
    for g in groups:
        parent = nodes.get(g.parent_id) if g.parent_id is not None else None
        (parent or root).children.append(nodes[g.id])
    for node in root.walk():  # depths after the tree is complete
        for child in node.children:
            child.depth = node.depth + 1
    for item in items:
        node = nodes.get(item.group_id) if item.group_id is not None else None
        (node or root).items.append(item)  # items of a deleted group: outside any group
    return SectionTree(root=root, items=items)
