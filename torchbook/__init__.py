"""torchbook: the small library that the book's chapters and exercises import.

It holds what notebooks should not repeat: picking a device, seeding, readable test
feedback (:mod:`torchbook.checks`), figures and widgets, and the environment check.
"""

from torchbook.device import get_device, seed_everything

__all__ = ["get_device", "seed_everything"]
__version__ = "0.1.0"
