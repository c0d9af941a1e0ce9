/* html_page.h — private: the fixed parts of the --html page, its style sheet and its script. */
#ifndef HS_PRIVATE_HTML_PAGE_H
#define HS_PRIVATE_HTML_PAGE_H

/* The page's CSS, for one <style> element. No url(), no @import: it loads nothing. */
extern const char hs_html_style[];

/* The page's script, for one <script> element at the end of the body. It
 * reads the JSON documents of the <script type="application/json">
 * elements hs-summary, hs-leaks, hs-top, hs-types, hs-goroutines and
 * hs-sites (each may be missing) and fills the tables summary-table,
 * memstats-table, suspects-table, leaked-table, retainers-table,
 * types-table, goroutines-table and sites-table (and the notes ID-note)
 * through textContent only; every column header sorts its table, and the
 * #search box filters the rows of the tables without data-search="off" (a
 * suspect's figure graph-N follows its row suspect-N). When done it sets
 * data-ready="yes" on the root element. It contains no "</", so it cannot
 * end its element early. */
extern const char hs_html_script[];

#endif
