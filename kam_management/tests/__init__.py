from . import test_tiering
from . import test_scoring
from . import test_cadence
from . import test_cron
from . import test_security
from . import test_settings
from . import test_crm_lead
