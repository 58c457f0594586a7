from . import crm_lead_lost
