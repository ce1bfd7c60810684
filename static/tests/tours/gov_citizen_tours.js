/** @odoo-module **/
// Citizen flows of the public website, run by tests/test_browser_tours.py.

import { registry } from "@web/core/registry";

// the query code survives the page loads of the tour in the session storage
const CODE_KEY = "gov_service_center_tour_query_code";

registry.category("web_tour.tours").add("gov_consultation_ask_and_track", {
    url: "/consultation",
    steps: () => [
        {
            content: "Write the subject",
            trigger: "form.o_gov_consultation input#gov_name",
            run: "edit How to register a property",
        },
        {
            content: "Choose the department",
            trigger: "select#gov_department",
            run: "selectByLabel GscTour Housing Bureau",
        },
        {
            content: "Write the question",
            trigger: "textarea#gov_question",
            run: "edit Which documents are needed to register a flat?",
        },
        {
            trigger: "input#gov_contact_name",
            run: "edit Li Si",
        },
        {
            content: "Leave a phone number (its last four digits follow the request)",
            trigger: "input#gov_contact_phone",
            run: "edit 13812345678",
        },
        {
            content: "Send",
            trigger: "form.o_gov_consultation button[type=submit]",
            run: "click",
        },
        {
            content: "The query code is shown: keep it",
            trigger: ".o_gov_query_code:not(:empty)",
            run() {
                window.sessionStorage.setItem(CODE_KEY, this.anchor.textContent.trim());
            },
        },
        {
            content: "Open the follow-up page",
            trigger: ".o_gov_query_code",
            run: "goToUrl /consultation/track",
        },
        {
            content: "Type the query code",
            trigger: "input#gov_code",
            async run(helpers) {
                await helpers.edit(window.sessionStorage.getItem(CODE_KEY));
            },
        },
        {
            content: "Type the last four digits of the phone number",
            trigger: "input#gov_verifier",
            run: "edit 5678",
        },
        {
            trigger: "form:has(#gov_code) button[type=submit]",
            run: "click",
        },
        {
            content: "The request is found, still waiting for its answer",
            trigger: ".o_gov_track_result:contains(How to register a property)",
            run() {
                window.sessionStorage.removeItem(CODE_KEY);
            },
        },
    ],
});

// started on the QR link of a ticket (the test gives it)
registry.category("web_tour.tours").add("gov_service_rating_from_ticket", {
    steps: () => [
        {
            content: "The window that served the ticket is named",
            trigger: ".o_gov_service_rating:contains(GscTour Window)",
        },
        {
            content: "Choose the best level",
            trigger: "input.o_gov_rating_level[value='5']",
            run: "click",
        },
        {
            content: "An indicator of a good service appears: tick it",
            trigger: ".o_gov_rating_indicator:not(.d-none) input[type=checkbox]",
            run: "click",
        },
        {
            trigger: "textarea#gov_rating_comment",
            run: "edit Quick and friendly.",
        },
        {
            trigger: "form.o_gov_service_rating_form button[type=submit]",
            run: "click",
        },
        {
            content: "The rating is recorded",
            trigger: ".o_gov_service_rating_thanks",
        },
    ],
});

// the case number survives the page loads of the tour in the session storage
const CASE_KEY = "gov_service_center_tour_case_number";
// a minimal PDF: the form checks the magic bytes of every upload
const PDF_TEXT = "%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n";

// started on the service guide of an item open to online application (the
// test gives it), by a portal user
registry.category("web_tour.tours").add("gov_case_apply_and_track", {
    steps: () => [
        {
            content: "The service guide offers the online application",
            trigger: "a.o_gov_case_apply_button",
            run: "click",
        },
        {
            content: "Write the applicant's name",
            trigger: "form input#gov_case_name",
            run: "edit GscTour Applicant",
        },
        {
            content: "Write the ID number (valid check digit)",
            trigger: "input#gov_case_id_number",
            run: "edit 11010519491231002X",
        },
        {
            content: "Write the mobile number",
            trigger: "input#gov_case_phone",
            run: "edit 13812340021",
        },
        {
            content: "Attach one file per required material",
            trigger: ".o_gov_case_apply_material input[type=file]",
            run() {
                const required = [...document.querySelectorAll(".o_gov_case_apply_material")]
                    .filter((block) => block.querySelector(".badge.text-bg-danger"));
                if (!required.length) {
                    throw new Error("The item should list required materials");
                }
                for (const block of required) {
                    const input = block.querySelector("input[type=file]");
                    const transfer = new DataTransfer();
                    transfer.items.add(
                        new File([PDF_TEXT], `${input.id}.pdf`, { type: "application/pdf" })
                    );
                    input.files = transfer.files;
                    input.dispatchEvent(new Event("change", { bubbles: true }));
                }
            },
        },
        {
            content: "Submit the application",
            trigger: ".o_gov_case_apply_form form button[type=submit]",
            run: "click",
        },
        {
            content: "The case number is shown: keep it",
            trigger: ".o_gov_case_apply_done .o_gov_case_number:not(:empty)",
            run() {
                window.sessionStorage.setItem(CASE_KEY, this.anchor.textContent.trim());
            },
        },
        {
            content: "Open the case tracking page",
            trigger: ".o_gov_case_number",
            run: "goToUrl /cases/track",
        },
        {
            content: "Type the case number",
            trigger: "input#gov_case_track_number",
            async run(helpers) {
                await helpers.edit(window.sessionStorage.getItem(CASE_KEY));
            },
        },
        {
            content: "Type the last four digits of the mobile number",
            trigger: "input#gov_case_track_verifier",
            run: "edit 0021",
        },
        {
            trigger: "form:has(#gov_case_track_number) button[type=submit]",
            run: "click",
        },
        {
            content: "The case is found, with its timeline",
            trigger: ".o_gov_case_track_result .o_gov_case_timeline li",
            run() {
                const number = window.sessionStorage.getItem(CASE_KEY);
                const result = document.querySelector(".o_gov_case_track_result");
                if (!number || !result.textContent.includes(number)) {
                    throw new Error(`The tracked case should be ${number}`);
                }
                window.sessionStorage.removeItem(CASE_KEY);
            },
        },
    ],
});
