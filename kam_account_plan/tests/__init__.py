from . import test_account_plan
from . import test_forecast
from . import test_action_plan
from . import test_review_cron
from . import test_risk
from . import test_report
from . import test_access
from . import test_form
