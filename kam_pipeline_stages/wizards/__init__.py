from . import kam_qualification_wizard
