"""armswatch: find covert arms shipments and sanctions evasion.

The public surface is small on purpose; most modules are internal. Import the
capability you need from its package (``armswatch.lists``, ``armswatch.screening``,
``armswatch.ais``, ``armswatch.detect``, ``armswatch.trade``, ``armswatch.network``,
``armswatch.risk``). Importing armswatch never starts a JVM or touches the network.
"""

from armswatch.errors import ArmswatchError, BadInputError, UnknownFormatError

__version__ = "0.1.0"

__all__ = ["ArmswatchError", "BadInputError", "UnknownFormatError", "__version__"]
