"""Private: the ordered risk classes of a profile with their colours and names, for the map
and its PNG twin. A class is coloured by its position in the profile's ``labels_id``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any

import numpy as np
import pandas as pd

from pilkada_risk.config.i18n import label
from pilkada_risk.config.profile import RiskProfile, load_profile

__all__ = [
    "CLASS_RAMPS",
    "KELAS_COLOURS",
    "NO_CLASS",
    "ClassScale",
    "class_colours",
    "class_scale",
    "default_scale",
    "scores_profile",
]

#: Class colours by position, lowest → highest class, for 2 to 7 classes. Each ramp runs from
#: light green to dark red (the green/yellow/red family of the Polri classes) in strictly
#: decreasing lightness (CIELAB L* 87 → 40, or → 26 from 5 classes on), so the order stays
#: readable with colour-vision deficiency and in greyscale; the middles are ColorBrewer YlOrRd.
CLASS_RAMPS: dict[int, tuple[str, ...]] = {
    2: ("#c2e699", "#bd0026"),
    3: ("#c2e699", "#fd8d3c", "#bd0026"),
    4: ("#c2e699", "#fd8d3c", "#f03b20", "#bd0026"),
    5: ("#c2e699", "#fd8d3c", "#fc4e2a", "#bd0026", "#800026"),
    6: ("#c2e699", "#feb24c", "#fd8d3c", "#fc4e2a", "#bd0026", "#800026"),
    7: ("#c2e699", "#feb24c", "#fd8d3c", "#fc4e2a", "#e31a1c", "#bd0026", "#800026"),
}
#: The colours of the default profile's three Polri classes.
KELAS_COLOURS = dict(zip(("kurang rawan", "rawan", "sangat rawan"), CLASS_RAMPS[3], strict=True))
NO_CLASS = "#d9d9d9"


def class_colours(k: int) -> tuple[str, ...]:
    """The ``k`` class colours, lowest → highest class.

    :data:`CLASS_RAMPS` for 2 to 7 classes; more classes sample the 7-class ramp evenly
    (linear in sRGB between its colours), which keeps the lightness decreasing.

    >>> class_colours(3)
    ('#c2e699', '#fd8d3c', '#bd0026')
    >>> len(set(class_colours(9)))
    9
    """
    if k in CLASS_RAMPS:
        return CLASS_RAMPS[k]
    if k < 2:
        raise ValueError(f"k={k!r}: a class scheme needs at least 2 classes")
    anchors = np.array([[int(c[i : i + 2], 16) for i in (1, 3, 5)] for c in CLASS_RAMPS[7]])
    at = np.linspace(0, 1, len(anchors))
    t = np.linspace(0, 1, k)
    rgb = np.column_stack([np.interp(t, at, anchors[:, j]) for j in range(3)])
    return tuple("#" + "".join(f"{round(v):02x}" for v in row) for row in rgb)


@dataclass(frozen=True)
class ClassScale:
    """The ordered classes of a profile (lowest → highest) with their colours and names.

    A class is coloured by its position in ``labels_id`` (:func:`class_colours`); a ``kelas``
    outside the profile gets :data:`NO_CLASS`. ``labels_en`` holds the English name of the class
    at the same position (the scores carry ``kelas`` in Bahasa Indonesia only).

    >>> scale = ClassScale(("rendah", "sedang", "tinggi"), ("low", "medium", "high"))
    >>> scale.colour("tinggi"), scale.name("sedang", "en"), scale.colour("lain")
    ('#bd0026', 'medium', '#d9d9d9')
    """

    labels_id: tuple[str, ...]
    labels_en: tuple[str, ...]

    @property
    def colours(self) -> tuple[str, ...]:
        """Colours of the classes in order."""
        return class_colours(len(self.labels_id))

    def colour(self, kelas: Any) -> str:
        """Fill colour of class ``kelas`` (its Indonesian label); :data:`NO_CLASS` if unknown."""
        kelas = str(kelas)
        if kelas in self.labels_id:
            return self.colours[self.labels_id.index(kelas)]
        return NO_CLASS

    def names(self, lang: str) -> dict[str, str]:
        """Indonesian label → name of the class in ``lang``."""
        names = self.labels_en if lang == "en" else self.labels_id
        return dict(zip(self.labels_id, names, strict=True))

    def name(self, kelas: Any, lang: str) -> str:
        """Name of class ``kelas`` in ``lang`` (``kelas`` itself when not in the profile)."""
        return self.names(lang).get(str(kelas), str(kelas))

    def legend_rows(self, lang: str, kelas: Iterable[Any] = ()) -> list[tuple[str, str]]:
        """``(colour, text)`` legend rows, lowest class first.

        English rows keep the Polri term, e.g. ``less vulnerable (kurang rawan)``. A "no class"
        row follows when a value of ``kelas`` is not a class of the profile.
        """
        rows = [
            (c, lid if lang != "en" or en == lid else f"{en} ({lid})")
            for c, lid, en in zip(self.colours, self.labels_id, self.labels_en, strict=True)
        ]
        if any(str(k) not in self.labels_id for k in kelas):
            rows.append((NO_CLASS, label("map.kelas_none", lang)))
        return rows


def _labels(value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, Sequence):
        return ()
    return tuple(str(v) for v in value)


def scores_profile(scores: pd.DataFrame) -> RiskProfile:
    """The profile ``scores`` were made with (``attrs["profile"]``, from ``RiskModel.score()``).

    The map has no profile of its own: it shows what the scores' profile says. A table without
    one (made by hand) gets the shipped default, as ``RiskModel(profile=None)`` would.
    """
    profile = scores.attrs.get("profile")
    return load_profile(dict(profile) if isinstance(profile, Mapping) else None)


def class_scale(scores: pd.DataFrame) -> ClassScale:
    """The class scale of ``scores.attrs["profile"]["classes"]``.

    Scores without a profile (or with one whose classes carry no ``labels_id``) get the shipped
    default profile's classes. ``labels_en`` of another length than ``labels_id`` falls back to
    the Indonesian labels.
    """
    profile = scores.attrs.get("profile")
    classes = profile.get("classes") if isinstance(profile, Mapping) else None
    if not isinstance(classes, Mapping) or len(_labels(classes.get("labels_id"))) < 2:
        rule = scores_profile(pd.DataFrame()).classes  # a table without a profile: the default's
        classes = {"labels_id": rule.labels_id, "labels_en": rule.labels_en}
    labels_id = _labels(classes.get("labels_id"))
    labels_en = _labels(classes.get("labels_en"))
    return ClassScale(labels_id, labels_en if len(labels_en) == len(labels_id) else labels_id)


@cache
def default_scale() -> ClassScale:
    """The shipped default profile's class scale (cached)."""
    return class_scale(pd.DataFrame())
