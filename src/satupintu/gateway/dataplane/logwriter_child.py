"""Entry point of the message-log writer process (see logwriter.py):

    python -m satupintu.gateway.dataplane.logwriter_child <read fd> <write fd> <module:function>

A module of its own because Django must be set up before the message log's models are imported.
"""

import os
import signal
import sys

import django

# A Ctrl-C or a service manager's SIGTERM reaches the whole process group; the writer leaves
# only when the gateway closes the pipe after its last flush, so nothing queued is lost.
signal.signal(signal.SIGINT, signal.SIG_IGN)
signal.signal(signal.SIGTERM, signal.SIG_IGN)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "satupintu.settings")
django.setup()

from multiprocessing.connection import Connection  # noqa: E402

from satupintu.gateway.dataplane.logsink import freeze_startup_objects  # noqa: E402
from satupintu.gateway.dataplane.logwriter import serve  # noqa: E402  (needs Django set up)

# The collections that each batch's entries and rows trigger then do not rescan Django.
freeze_startup_objects()

read_fd, write_fd, target = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
serve(Connection(read_fd, writable=False), Connection(write_fd, readable=False), target)
