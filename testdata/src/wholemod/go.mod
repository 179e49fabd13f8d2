module example.com/wholemod

go 1.24
