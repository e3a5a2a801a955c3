"""Who is calling: API keys from the ``X-API-Key`` header (or ``Authorization: Bearer``).

Keys are never read from the query string (URLs end up in access logs and browser
history). Reading needs no key when the server is bound to a loopback address (unless
the settings say otherwise); everything else needs a key of a sufficient role. A key
that is sent but wrong is refused even where none is needed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from armswatch.api._keys import KeyFile, Role
from armswatch.api._problems import ApiError
from armswatch.api._settings import Settings

_api_key = APIKeyHeader(name="X-API-Key", auto_error=False,
                        description="An armswatch API key (`armswatch api keys add`).")
_bearer = HTTPBearer(auto_error=False, description="The same key as a bearer token.")
_CHALLENGE = {"WWW-Authenticate": 'Bearer realm="armswatch"'}


@dataclass(frozen=True, slots=True)
class Principal:
    name: str  # the key holder; "anonymous" for open reads
    role: Role | None  # None: no key (open read)
    key_id: str | None

    @property
    def actor(self) -> str:
        """How a review records who made it."""
        return f"{self.name} (key {self.key_id})" if self.key_id else self.name


ANONYMOUS = Principal("anonymous", None, None)


def _identify(request: Request, header_key: str | None,
              bearer: HTTPAuthorizationCredentials | None) -> Principal | None:
    key = header_key or (bearer.credentials if bearer is not None else None)
    if not key:
        return None
    keys: KeyFile = request.app.state.keys
    rec = keys.verify(key.strip())
    if rec is None:
        raise ApiError(401, "the API key is unknown, malformed or revoked",
                       kind="bad-key", headers=_CHALLENGE)
    return Principal(rec.name, rec.role, rec.key_id)


def requires(role: Role, *, always: bool = False) -> object:
    """A dependency: the caller, who needs ``role`` (or nothing for open reads unless
    ``always``)."""

    async def dependency(  # async: no thread hop for a dictionary lookup
        request: Request,
        header_key: Annotated[str | None, Depends(_api_key)],
        bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
    ) -> Principal:
        settings: Settings = request.app.state.settings
        who = _identify(request, header_key, bearer)
        if who is None:
            if settings.open_read and not always and role is Role.VIEWER:
                return ANONYMOUS
            why = ("this server is reachable from other machines: every request needs an "
                   "API key" if not settings.open_read else f"this needs an {role.value} key")
            raise ApiError(401, f"{why} (send it as X-API-Key; make one with "
                           "`armswatch api keys add NAME --role ROLE`)",
                           kind="key-required", headers=_CHALLENGE)
        assert who.role is not None
        if not who.role.can(role):
            raise ApiError(403, f"this needs the {role.value} role; the key of {who.name} "
                           f"has {who.role.value}", kind="role")
        return who

    return Depends(dependency)


Reader = Annotated[Principal, requires(Role.VIEWER)]
Analyst = Annotated[Principal, requires(Role.ANALYST, always=True)]
