/** @odoo-module **/
// The director's dashboard opens in the Dashboards app, run by
// tests/test_director_dashboard.py.

import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_director_dashboard", {
    url: "/odoo/dashboards",
    steps: () => [
        {
            content: "The dashboard of the center is listed",
            trigger: ".o_spreadsheet_dashboard_search_panel li:contains(Government Service Center)",
            run: "click",
        },
        {
            content: "The spreadsheet is loaded, with its tiles and charts",
            trigger: ".o_spreadsheet_dashboard_action .o-spreadsheet .o-figure",
        },
        {
            content: "No loading error",
            trigger: ".o_spreadsheet_dashboard_action:not(:has(.dashboard-loading-status.error))",
        },
    ],
});
