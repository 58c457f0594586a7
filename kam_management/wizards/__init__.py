from . import base_partner_merge_automatic_wizard
from . import kam_contact_log
from . import kam_day_plan
from . import kam_coverage_rating
