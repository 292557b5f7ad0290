/*
 * ambiguous.c: the rule on mail records that read two ways (guideline
 * 19.1.2, mail item 1). When text the sender or client chose (a HELO, an
 * address, a header value, a message ID) spells the log's own structure,
 * csm-parse takes neither reading and leaves the fields they disagree on
 * empty, with extra ambiguous=1 (csm-events(5)). Those are the very
 * fields the spoofing and attachment rules read, so without this rule a
 * forged record would pass them in silence. It is filed under mail-1
 * because what is forged is most often a second sender.
 */
#include "mailcheck.h"

void
mc_ambiguous(struct mailcheck *mc, const struct mc_msg *msg)
{
	if (!msg->ambiguous || !(mc->rules & 1u << MC_AMBIGUOUS))
		return;
	/*
	 * Fixed text only: the disputed bytes are the attacker's. It leads
	 * with what happened, which a report cut short still shows.
	 */
	mc_emit(mc, msg, MC_AMBIGUOUS, 0, "fields left empty: the log record "
	    "reads two ways because text the sender or client chose spells "
	    "the log's own fields; csm-parse left the fields in dispute "
	    "empty (sender, recipients, a header or an attachment name, as "
	    "the case may be), so no rule checked them: read the raw line "
	    "at origin");
}
