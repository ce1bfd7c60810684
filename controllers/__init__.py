# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl-3.0).
from . import main
from . import policy
from . import service_rating
from . import consultation
from . import honor_roll
from . import intermediary
from . import complaint
from . import intermediary_portal
from . import attendance
from . import hall
from . import case
from . import department_news
