#!/usr/bin/env python
"""Django's command line for the real-apps test project (settings in realapps/settings.py)."""
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "realapps.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
