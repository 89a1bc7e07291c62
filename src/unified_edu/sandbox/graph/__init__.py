"""A loopback emulator of Microsoft Graph v1.0 education (EduRoster and EduAssignments).

:class:`GraphApp` serves the seeded city's Microsoft schools in one tenant, speaking
Graph's wire format closely enough that unmodified msgraph-sdk cannot tell it from the
real service: GUID ids, OData paging and query options, ``Prefer`` enum handling, JSON
batching, Graph error bodies, JWT-shaped tokens with application vs delegated
permissions, and the documented throttling buckets. It imports no platform client.
"""

from unified_edu.sandbox.graph._app import GraphApp

__all__ = ["GraphApp"]
