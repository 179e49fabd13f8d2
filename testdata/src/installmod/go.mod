module example.com/installmod

go 1.24

require example.com/installdep v0.0.0

replace example.com/installdep => ../installmoddep
