"""``python -m incidex`` runs the command line (the same as the ``incidex`` command)."""

from incidex.training.cli import main

raise SystemExit(main())
