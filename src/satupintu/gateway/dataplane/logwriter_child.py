"""Entry point of the message-log writer process (see logwriter.py):

    python -m satupintu.gateway.dataplane.logwriter_child <read fd> <write fd> <module:function>

A module of its own because Django must be set up before the message log's models are imported.
"""

import gc
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

from satupintu.gateway.dataplane.logwriter import serve  # noqa: E402  (needs Django set up)

# What exists now (Django and the models: ~140,000 objects) lives as long as the process: out of
# the cyclic collector's reach, the collections that each batch's entries and rows trigger do
# not rescan it (as the data plane does after its startup: app.freeze_startup_objects).
gc.collect()
gc.freeze()

read_fd, write_fd, target = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
serve(Connection(read_fd, writable=False), Connection(write_fd, readable=False), target)
