from . import models
from . import wizards
from . import report
from .hooks import uninstall_hook
