"""Imported once by the reward pool's fork server (multiprocessing preload), never by anything else.

Importing it loads the verifier and sympy and runs the warm-up items there, so every worker forked
from the server starts warm: a replacement for a killed worker is ready in milliseconds.
"""

from .pool_worker import warm_up

warm_up()
