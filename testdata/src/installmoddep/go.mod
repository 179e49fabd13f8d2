module example.com/installdep

go 1.24
