# htmlcheck.awk: a structural check of csm-report --html for the golden
# cases, with nothing but awk: every element that is opened is closed, in
# order (void elements are written self-closed, "<meta .../>"); the text
# of <style> and <script> holds no '<', so no data can have ended them
# early. Prints the elements counted per name, or the first mistake.
{ doc = doc $0 "\n" }
END {
	s = doc
	while (match(s, /<[^>]*>/)) {
		t = substr(s, RSTART, RLENGTH)
		s = substr(s, RSTART + RLENGTH)
		if (t ~ /^<!/ || t ~ /\/>$/)
			continue
		if (t ~ /^<\//) {
			name = substr(t, 3, length(t) - 3)
			if (sp == 0 || stack[sp] != name) {
				print "mismatch: </" name "> closes <" stack[sp] ">"
				exit 1
			}
			sp--
			continue
		}
		name = substr(t, 2)
		sub(/[ \t\n>].*/, "", name)
		stack[++sp] = name
		count[name]++
		if (name == "style" || name == "script") {
			end = index(s, "</" name ">")
			body = substr(s, 1, end - 1)
			if (index(body, "<") > 0) {
				print "markup inside <" name ">"
				exit 1
			}
			s = substr(s, end)
		}
	}
	if (sp > 0) {
		print "unclosed: <" stack[sp] ">"
		exit 1
	}
	n = 0
	for (k in count)
		names[++n] = k
	# A small insertion sort: awk has no portable sort.
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && names[j - 1] > names[j]; j--) {
			x = names[j]; names[j] = names[j - 1]; names[j - 1] = x
		}
	line = "well-formed:"
	for (i = 1; i <= n; i++)
		line = line " " names[i] "=" count[names[i]]
	print line
}
