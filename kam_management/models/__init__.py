from . import res_company
from . import res_config_settings
from . import kam_criterion
from . import kam_partner_score
from . import res_partner
from . import mail_activity
from . import crm_lead
