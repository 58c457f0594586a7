from . import test_gating
from . import test_checklist
from . import test_aging
from . import test_qualification_wizard
from . import test_access
from . import test_ratios
from . import test_performance
from . import test_hooks
