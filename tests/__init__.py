from . import test_access
from . import test_approval_item
from . import test_calendar
from . import test_i18n
from . import test_performance
from . import test_website_catalog
from . import test_reports
from . import test_attendance_punch
