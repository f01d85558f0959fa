"""Recognise a file's profile (and so its domain) from its headers.

Each candidate profile maps the file's headers once (:func:`sobriete.io.mapping.map_headers`); the
chosen profile's :class:`~sobriete.io.mapping.HeaderMap` is handed on to the mapping stages.
A profile is *eligible* when it finds every column its domain requires
(:attr:`sobriete.io.domains.InputDomain.required`: ``category`` for equipment, ``technology``
for lines...). Among eligible profiles the best score wins. The score is the pair (headers the
profile names itself, headers it matches in all): a header matched only because it is a
canonical column name counts in the second number only, except for a profile that names no
column (``canonical``), whose own names are the domain's canonical columns (a file with
canonical headers is a canonical file). Two best profiles with the same score, or none
eligible, is an error that lists the candidates: the user then names the profile.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from ..errors import InputFormatError
from ..schema import normalise_name
from .domains import DOMAINS
from .mapping import HeaderMap, map_headers
from .profiles import PROFILES, Profile, load_profile


@dataclass(frozen=True)
class Match:
    """How well a profile reads a file's headers."""

    profile: Profile
    score: tuple[int, int]
    missing: tuple[tuple[str, ...], ...]
    headers: HeaderMap | None = None

    @property
    def eligible(self) -> bool:
        return not self.missing

    def describe(self) -> str:
        name = f"{self.profile.name} ({self.profile.domain})"
        if self.eligible:
            return f"{name}: {self.score[1]} matching column(s), {self.score[0]} by the profile's own names"
        group = self.missing[0]
        names = [s.name for c in group for s in self.profile.columns.get(c, [])][:3] or list(group)
        return f"{name}: no column {' / '.join(repr(n) for n in names)}"

    def as_error(self) -> InputFormatError:
        """:meth:`describe` as a structured error, so that reports word each candidate in their
        language (code ``profile_candidate`` or ``profile_candidate_missing``)."""
        if self.eligible:
            return InputFormatError(self.describe(), code="profile_candidate", profile=self.profile.name,
                                    found=self.score[1], own=self.score[0])
        group = self.missing[0]
        names = [s.name for c in group for s in self.profile.columns.get(c, [])][:3] or list(group)
        return InputFormatError(self.describe(), code="profile_candidate_missing", profile=self.profile.name,
                                names=" / ".join(f"« {n} »" for n in names))


def bundled_profiles(domains: Iterable[str] | None = None) -> list[Profile]:
    """The bundled profiles (:data:`PROFILES`), optionally only those of ``domains``."""
    profiles = [load_profile(name) for name in PROFILES]
    if domains is None:
        return profiles
    wanted = set(domains)
    return [p for p in profiles if p.domain in wanted]


def score_profile(headers: Sequence[str], profile: Profile, *, columns: Sequence[str] | None = None) -> Match:
    """Score of ``profile`` on ``headers`` (see the module docstring).

    Examples
    --------
    >>> score_profile(["Type", "Entité", "quantity", "Couleur"], load_profile("glpi")).score
    (2, 3)
    >>> score_profile(["Type", "Entité"], load_profile("operateur")).missing
    (('technology',),)
    """
    header_map = map_headers(list(columns) if columns is not None else list(headers), profile, headers)
    spec = DOMAINS[profile.domain]
    own = {normalise_name(s.name) for sources in profile.columns.values() for s in sources} if profile.columns \
        else {normalise_name(c) for c in spec.columns}
    source = dict(zip(columns, headers)) if columns is not None else {}
    headers_found = [normalise_name(source.get(h, h)) for sources in header_map.found.values() for h, _ in sources]
    score = (sum(h in own for h in headers_found), len(headers_found))
    return Match(profile, score, tuple(header_map.missing), header_map)


def detect_profile(headers: Sequence[str], candidates: Sequence[Profile], *, file: str | None = None) -> Profile:
    """The candidate profile that reads ``headers`` best.

    Parameters
    ----------
    headers : sequence of str
        The file's column headers.
    candidates : sequence of Profile
        Profiles to choose from (e.g. :func:`bundled_profiles`).
    file : str, optional
        File name for the error message.

    Returns
    -------
    Profile

    Raises
    ------
    InputFormatError
        No candidate finds its domain's required columns (when they are all of one domain, the
        best one is returned instead: reading with it names the missing column), or two
        candidates tie for the best score; the message lists the candidates and how to choose.

    Examples
    --------
    >>> detect_profile(["Commune", "Technologie", "Nombre de lignes"], bundled_profiles()).name
    'operateur'
    >>> detect_profile(["Type", "Entité", "Statut"], bundled_profiles()).name
    'glpi'
    """
    return recognise(headers, candidates, file=file).profile


def recognise(headers: Sequence[str], candidates: Sequence[Profile], *, file: str | None = None,
              columns: Sequence[str] | None = None) -> Match:
    """:func:`detect_profile`'s best :class:`Match`, whose header map the mapping stages reuse
    (``columns``: the frame's names of ``headers``, when a repeated header was renamed)."""
    matches = sorted((score_profile(headers, p, columns=columns) for p in candidates), key=lambda m: m.score,
                     reverse=True)
    eligible = [m for m in matches if m.eligible]
    shown = ", ".join(repr(str(h)) for h in list(headers)[:12])
    if not eligible and len({m.profile.domain for m in matches}) == 1:
        return matches[0]  # one domain: reading with it names the missing column precisely
    if not eligible:
        raise InputFormatError(
            f"no profile recognises this file's columns ({shown}); candidates: "
            + "; ".join(m.describe() for m in matches)
            + ". Rename the columns or give a profile (--profile FILE.yaml, or --lines/--traffic/--hosting/"
              "--lighting FILE)", file=file,
            code="no_profile_matches", headers=shown, candidates=[m.as_error() for m in matches])
    best = [m for m in eligible if m.score == eligible[0].score]
    if len(best) > 1:
        raise InputFormatError(
            f"the columns of this file ({shown}) match several profiles equally: "
            + "; ".join(m.describe() for m in best)
            + ". Choose one with --profile NAME (or --lines/--traffic/--hosting/--lighting FILE)", file=file,
            code="several_profiles_match", headers=shown, candidates=[m.as_error() for m in best])
    return best[0]


__all__ = ["Match", "bundled_profiles", "detect_profile", "recognise", "score_profile"]
