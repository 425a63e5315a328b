package demo

import (
	"strconv"
	"strings"
	"unicode"
)

// Name pools. They deliberately mix apostrophes, hyphens, spaces and letters outside ASCII (Vietnamese,
// German, Nordic, Polish, Turkish, Spanish, French, Irish...), so that every consumer of the demo data meets
// them: O'Brien, D'Angelo, Nguyễn, Zoë, José, Müller, Łukasz, Yılmaz, de la Cruz.
var (
	femaleNames = []string{"Olivia", "Emma", "Sofía", "Zoë", "Chloé", "Renée", "Ana", "Mia", "Isabella", "Amara",
		"Aisha", "Fatima", "Priya", "Mei", "Yuki", "Siobhán", "Niamh", "Léa", "Inés", "Thảo", "Anya", "Ingrid",
		"Maëlle", "Björk", "Zeynep", "Ayşe", "Małgorzata", "Nadia", "Leila", "Grace", "Harper", "Ava",
		"Charlotte", "Amelia", "Lucía", "Valentina", "Camila", "Ximena", "Aaliyah", "Naomi", "Hana", "Ji-woo",
		"Sakura", "Olga", "Mary-Kate", "Nguyệt"}
	maleNames = []string{"Liam", "Noah", "José", "Mateo", "Joaquín", "Björn", "Søren", "Łukasz", "Jürgen",
		"François", "Seán", "Dmitri", "Hiroshi", "Wei", "Minh", "Aarav", "Omar", "Kwame", "Oliver", "Elijah",
		"James", "Lucas", "Ethan", "Benjamin", "Diego", "Santiago", "Andrés", "Rafael", "Ömer", "Mehmet", "Tomás",
		"Nikolai", "Kofi", "Chidi", "Arjun", "Rohan", "Hamza", "Yusuf", "Kenji", "Min-jun", "Jean-Luc", "Đức"}
	neutralNames = []string{"Alex", "Sam", "Jordan", "Riley", "Rowan", "Kai", "Avery", "Quinn", "Jamie", "Skyler",
		"Noé", "Ari"}
	familyNames = []string{"O'Brien", "D'Angelo", "O'Connor", "Nguyễn", "Trần", "Lê", "Phạm", "Đặng", "Müller",
		"Schröder", "Weiß", "García", "Martínez", "Rodríguez", "Hernández", "López", "González", "Pérez", "Núñez",
		"Peña", "Smith", "Johnson", "Williams", "Brown", "Jones", "Davis", "Miller", "Wilson", "Anderson",
		"Taylor", "Thomas", "Moore", "Jackson", "White", "Harris", "Lee", "Kim", "Park", "Choi", "Patel", "Shah",
		"Singh", "Chen", "Wang", "Li", "Zhang", "Liu", "Yamamoto", "Tanaka", "Okafor", "Mensah", "Adeyemi",
		"Kowalski", "Nowak", "Wiśniewski", "Øvergaard", "Åberg", "Lindqvist", "Yılmaz", "Çelik", "Dubois",
		"Lefèvre", "MacDonald", "St. John", "de la Cruz", "Van der Berg", "Al-Sayed", "Haddad", "Cohen", "Petrov",
		"Smith-Jones", "Ó Briain", "Þórsson"}
	nicknames = map[string]string{"Joaquín": "Quino", "Benjamin": "Ben", "Valentina": "Vale", "Nikolai": "Kolya",
		"Elijah": "Eli", "Isabella": "Bella", "Charlotte": "Charlie", "Małgorzata": "Gosia", "Dmitri": "Dima",
		"Santiago": "Santi", "Alex": "Lex", "Mary-Kate": "MK", "Jean-Luc": "JL", "Andrés": "Andy"}
	pronounsFor = map[string]string{"female": "she/her", "male": "he/him", "other": "they/them"}

	// School name pool; prefixes make further names when a district needs more schools than the pool holds.
	schoolNames = []string{"Lincoln", "Washington", "Roosevelt", "Jefferson", "Maple Grove", "Cedar Ridge",
		"Riverside", "Lakeview", "Oak Hill", "Pine Valley", "Sunnyside", "Hillcrest", "Willow Creek", "Fairview",
		"Highland", "Meadowbrook", "César Chávez", "Sojourner Truth", "Dolores Huerta", "Georgia O'Keeffe",
		"Mary McLeod Bethune", "Roberto Clemente", "Ellen Ochoa", "Maya Angelou", "Jackie Robinson",
		"Thurgood Marshall", "Rosa Parks", "Harriet Tubman", "Amelia Earhart", "Sally Ride", "Katherine Johnson",
		"Grace Hopper", "Ada Lovelace", "Marie Curie", "Frida Kahlo", "Sequoyah", "Patsy Mink", "Daniel Inouye",
		"Wilma Mankiller", "Sonia Sotomayor", "Emily Dickinson", "Mark Twain", "John Muir", "Bayard Rustin",
		"Fred Korematsu", "Sylvia Méndez", "Dalip Singh Saund", "Björklund", "Ruby Bridges", "Ida B. Wells"}
	schoolPrefixes = []string{"", "North ", "South ", "East ", "West ", "Upper ", "Lower ", "New "}

	// Places of birth for demographics: mostly the district's state, with a share born elsewhere.
	localCities = []string{"Sacramento", "San José", "Fresno", "Los Angeles", "Oakland", "La Cañada Flintridge",
		"San Luis Obispo", "Chula Vista"}
	usCities = []struct{ state, city string }{{"TX", "Austin"}, {"NY", "New York"}, {"IL", "Chicago"},
		{"WA", "Seattle"}, {"FL", "Miami"}, {"OR", "Portland"}, {"NM", "Española"}, {"HI", "Hilo"},
		{"AZ", "Tucson"}, {"MN", "Saint Paul"}}
	foreignCities = []struct{ country, city string }{{"MX", "Guadalajara"}, {"MX", "Ciudad de México"},
		{"VN", "Hà Nội"}, {"VN", "Thành phố Hồ Chí Minh"}, {"DE", "München"}, {"DE", "Köln"}, {"IN", "Pune"},
		{"CN", "Chengdu"}, {"PH", "Quezon City"}, {"SV", "San Salvador"}, {"KR", "Busan"}, {"NG", "Lagos"},
		{"PL", "Łódź"}, {"IE", "Dún Laoghaire"}, {"FR", "Besançon"}, {"TR", "İzmir"}, {"BR", "São Paulo"},
		{"UA", "Kyiv"}, {"GT", "Quetzaltenango"}, {"SO", "Muqdisho"}}
)

// asciiFold maps the non-ASCII lower-case letters of the pools to ASCII, for usernames and email addresses.
var asciiFold = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'œ': "oe", 'þ': "th", 'ð': "d", 'ø': "o", 'ł': "l", 'đ': "d",
		'ı': "i"}
	for base, letters := range map[string]string{
		"a": "áàâäåãăạảấầẩẫậắằẳẵặ",
		"c": "çćč",
		"e": "éèêëẽẹẻếềểễệ",
		"g": "ğ",
		"i": "íìîïĩịỉ",
		"n": "ñń",
		"o": "óòôöõọỏốồổỗộơớờởỡợ",
		"s": "śşš",
		"u": "úùûüũụủưứừửữự",
		"y": "ýỳỵỷỹ",
		"z": "żźž",
	} {
		for _, r := range letters {
			m[r] = base
		}
	}
	return m
}()

// fold turns a name into the lower-case ASCII letters and digits used in usernames: letters with diacritics
// lose them, and apostrophes, spaces, hyphens and dots disappear ("D'Angelo" -> "dangelo",
// "Nguyễn" -> "nguyen", "de la Cruz" -> "delacruz").
func fold(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r > unicode.MaxASCII:
			b.WriteString(asciiFold[r]) // letters outside the table are dropped
		}
	}
	return b.String()
}

// givenName picks a given name matching a demographic sex (neutral names for "other" and "unspecified").
func givenName(r rng, sex string) string {
	switch {
	case sex == "female" && !r.chance(0.03):
		return pick(r, femaleNames)
	case sex == "male" && !r.chance(0.03):
		return pick(r, maleNames)
	default:
		return pick(r, neutralNames)
	}
}

// schoolName names the i-th school of a level from a shuffled pool, adding prefixes once the pool is used up.
func schoolName(pool []string, i int, suffix string) string {
	prefix := schoolPrefixes[(i/len(pool))%len(schoolPrefixes)]
	name := prefix + pool[i%len(pool)] + " " + suffix
	if round := i / (len(pool) * len(schoolPrefixes)); round > 0 {
		name += " " + romanish(round+1)
	}
	return name
}

// romanish numbers very large districts' further rounds of school names (II, III, ...).
func romanish(n int) string {
	numerals := []string{"", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"}
	if n < len(numerals) {
		return numerals[n]
	}
	return "No. " + strconv.Itoa(n)
}
