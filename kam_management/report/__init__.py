from . import kam_cockpit_report
